package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunGit;
import io.phasegrid.proto.v1.RunPhase;
import java.io.PrintWriter;

/** The git side of a run for people and scripts: the {@code "git"} object, result commits, conflicts and their way out. */
final class GitReport {

    private GitReport() {
    }

    /** Adds {@code "git": {...}} to a run's JSON (nothing for a plain run). */
    static void addTo(ObjectNode root, Run run) {
        if (!run.hasGit()) {
            return;
        }
        RunGit git = run.getGit();
        ObjectNode node = root.putObject("git");
        node.put("repo", git.getRepoUrl());
        node.put("base", git.getBaseCommit());
        node.put("baseBranch", git.getBaseBranch());
        node.put("delivery", delivery(git.getDelivery()));
        node.put("resultBranch", git.getResultBranch());
        node.put("resultCommit", git.getResultCommit());
        node.put("integration", RunReport.stateName(git.getIntegration().getState()));
        if (!git.getIntegration().getReason().isEmpty()) {
            node.put("integrationReason", git.getIntegration().getReason());
        }
        if (!git.getDeliveryNote().isEmpty()) {
            node.put("deliveryNote", git.getDeliveryNote());
        }
    }

    /** Adds a phase's {@code resultCommit} and {@code conflictPaths} to its JSON object. */
    static void addTo(ObjectNode node, RunPhase phase) {
        if (!phase.getResultCommit().isEmpty()) {
            node.put("resultCommit", phase.getResultCommit());
        }
        if (phase.getConflictPathsCount() > 0) {
            ArrayNode paths = node.putArray("conflictPaths");
            phase.getConflictPathsList().forEach(paths::add);
        }
    }

    static String delivery(Delivery delivery) {
        return delivery == Delivery.DELIVERY_FAST_FORWARD ? "fast-forward" : "branch";
    }

    /** The result line, the integration step's state, and how to resolve each conflicted phase. */
    static void print(PrintWriter out, Run run) {
        if (!run.hasGit()) {
            return;
        }
        RunGit git = run.getGit();
        out.printf("Git: %s at %s%n", git.getRepoUrl(), git.getBaseCommit());
        if (!git.getResultCommit().isEmpty()) {
            out.printf("Result: branch %s at %s%n", git.getResultBranch(), git.getResultCommit());
        } else {
            RunPhase step = git.getIntegration();
            out.printf("Integration: %s%s%n", RunReport.stateName(step.getState()),
                    step.getReason().isEmpty() ? "" : " (" + step.getReason() + ")");
        }
        if (!git.getDeliveryNote().isEmpty()) {
            out.println("Delivery: " + git.getDeliveryNote());
        }
        for (RunPhase phase : run.getPhasesList()) {
            if (phase.getConflictPathsCount() > 0) {
                printResolution(out, run, phase);
            }
        }
    }

    private static void printResolution(PrintWriter out, Run run, RunPhase phase) {
        String prefix = "phasegrid/" + run.getRunId() + "/";
        out.printf("Phase %s conflicts merging its inputs in: %s%n", phase.getKey(),
                String.join(", ", phase.getConflictPathsList()));
        out.println("  resolve it on a branch, then retry the run at that commit:");
        StringBuilder fetch = new StringBuilder("    git fetch " + run.getGit().getRepoUrl());
        for (String dependency : phase.getDependsOnList()) {
            fetch.append(" refs/heads/").append(prefix).append(dependency).append(":refs/heads/")
                    .append(prefix).append(dependency);
        }
        out.println(fetch);
        out.printf("    git checkout -b resolve-%s %s%n", phase.getKey(), run.getGit().getBaseCommit());
        StringBuilder merge = new StringBuilder("    git merge --no-ff");
        phase.getDependsOnList().forEach(d -> merge.append(' ').append(prefix).append(d));
        out.println(merge + "   # fix the conflicts, git add, git commit");
        out.printf("    git push %s HEAD:refs/heads/resolve-%s%n", run.getGit().getRepoUrl(), phase.getKey());
        out.printf("    phasegrid retry %s --resolution %s=$(git rev-parse HEAD)%n", run.getRunId(), phase.getKey());
    }
}
