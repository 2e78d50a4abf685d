package io.phasegrid.coordinator.grpc;

import io.phasegrid.coordinator.lease.LeaseOffer;
import io.phasegrid.coordinator.run.GitLease;
import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.service.RunView;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.proto.v1.GitWork;
import io.phasegrid.proto.v1.LeaseGit;
import io.phasegrid.proto.v1.PhaseCommit;
import io.phasegrid.proto.v1.PhaseResolution;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.RunGit;
import io.phasegrid.proto.v1.RunPhase;
import java.util.LinkedHashMap;
import java.util.Map;

/** The git messages of run.proto and worker.proto to and from the domain (RunGit, LeaseGit, resolutions). */
final class GitProtoMapper {

    static final int MAX_RESOLUTIONS = 1_000;

    private GitProtoMapper() {
    }

    /**
     * RunGit of a git run's view: the integration step (the view's last phase, in listings too) becomes
     * {@code integration}.
     */
    static RunGit runGit(RunView view, RunPhase integration, PhaseView integrationView) {
        GitRun git = view.git();
        String resultCommit = integrationView.resultCommit();
        String note = integrationView.deliveryNote();
        return RunGit.newBuilder()
                .setRepoUrl(git.repoUrl())
                .setBaseCommit(git.baseCommit())
                .setBaseBranch(git.baseBranch())
                .setDelivery(delivery(git.delivery()))
                .setResultBranch(GitRun.resultBranch(view.runId()))
                .setResultCommit(resultCommit)
                .setIntegration(integration)
                .setDeliveryNote(note)
                .build();
    }

    static Delivery delivery(GitRun.Delivery delivery) {
        return delivery == GitRun.Delivery.FAST_FORWARD ? Delivery.DELIVERY_FAST_FORWARD : Delivery.DELIVERY_BRANCH;
    }

    /** RetryRunRequest.resolutions as phase key -> commit, each entry's form checked. */
    static Map<String, String> resolutions(RetryRunRequest request) {
        if (request.getResolutionsCount() > MAX_RESOLUTIONS) {
            throw new IllegalArgumentException("resolutions: at most " + MAX_RESOLUTIONS + " entries, was "
                    + request.getResolutionsCount());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < request.getResolutionsCount(); k++) {
            PhaseResolution r = request.getResolutions(k);
            String field = "resolutions[" + k + "]";
            if (r.getPhaseKey().isEmpty() || r.getPhaseKey().length() > WorkerRequestLimits.MAX_PHASE_KEY_CHARS) {
                throw new IllegalArgumentException(field + ".phase_key must name a phase (1 to "
                        + WorkerRequestLimits.MAX_PHASE_KEY_CHARS + " characters)");
            }
            GitForms.commit(field + ".commit", r.getCommit());
            if (out.put(r.getPhaseKey(), r.getCommit()) != null) {
                throw new IllegalArgumentException(field + ": phase '"
                        + io.phasegrid.coordinator.submit.ClientText.quote(r.getPhaseKey()) + "' is listed twice");
            }
        }
        return out;
    }

    /** LeaseGit of an offer of a git run, with the refs of its epoch. */
    static LeaseGit leaseGit(LeaseOffer offer) {
        GitLease git = offer.git();
        String runId = offer.key().runId();
        String key = offer.key().phaseKey();
        LeaseGit.Builder lease = LeaseGit.newBuilder()
                .setRepoUrl(git.run().repoUrl())
                .setBaseCommit(git.run().baseCommit())
                .setWork(git.integration() ? GitWork.GIT_WORK_INTEGRATION : GitWork.GIT_WORK_PHASE)
                .setResumeCommit(offer.resumeCommit())
                .setResolutionCommit(git.resolutionCommit())
                .setCheckpointRef("refs/phasegrid/" + runId + "/" + key + "/e" + offer.key().epoch())
                .setResultRef(git.integration() ? "refs/heads/" + GitRun.resultBranch(runId)
                        : "refs/heads/phasegrid/" + runId + "/" + key);
        for (GitLease.PhaseCommit input : git.inputs()) {
            lease.addInputs(PhaseCommit.newBuilder().setPhaseKey(input.key()).setPhaseName(input.name())
                    .setCommit(input.commit()));
        }
        if (git.integration()) {
            lease.setDelivery(delivery(git.run().delivery())).setBaseBranch(git.run().baseBranch());
        }
        return lease.build();
    }
}
