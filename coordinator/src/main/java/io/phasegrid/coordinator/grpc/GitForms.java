package io.phasegrid.coordinator.grpc;

import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.submit.ClientText;
import io.phasegrid.proto.v1.GitSource;
import java.util.regex.Pattern;

/**
 * The form of the git fields of requests (run.proto GitSource, RetryRunRequest.resolutions, worker.proto commits):
 * a bad one is {@link IllegalArgumentException} (INVALID_ARGUMENT) naming the field. The coordinator never runs git,
 * so form is all it checks; whether a commit exists is the client's and the workers' business.
 */
final class GitForms {

    static final int MAX_URL_CHARS = 2_048;
    static final int MAX_BRANCH_CHARS = 255;

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SCHEME_URL = Pattern.compile("(file|git|ssh|https)://.*");
    /** scp-like {@code [user@]host:path}: no scheme, a host without '/' before the first ':'. */
    private static final Pattern SCP_LIKE = Pattern.compile("([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+:.+");

    private GitForms() {
    }

    /** The run's {@link GitRun}: every field checked, the delivery's default filled in. */
    static GitRun source(GitSource git) {
        repoUrl("git.repo_url", git.getRepoUrl());
        commit("git.base_commit", git.getBaseCommit());
        GitRun.Delivery delivery = switch (git.getDelivery()) {
            case DELIVERY_UNSPECIFIED, DELIVERY_BRANCH -> GitRun.Delivery.BRANCH;
            case DELIVERY_FAST_FORWARD -> GitRun.Delivery.FAST_FORWARD;
            default -> throw new IllegalArgumentException("git.delivery: unknown value " + git.getDeliveryValue()
                    + " (expected DELIVERY_UNSPECIFIED, DELIVERY_BRANCH or DELIVERY_FAST_FORWARD)");
        };
        if (!git.getBaseBranch().isEmpty()) {
            branch("git.base_branch", git.getBaseBranch());
        } else if (delivery == GitRun.Delivery.FAST_FORWARD) {
            throw new IllegalArgumentException("git.base_branch is required with DELIVERY_FAST_FORWARD (the branch "
                    + "to move to the result commit)");
        }
        return new GitRun(git.getRepoUrl(), git.getBaseCommit(), git.getBaseBranch(), delivery);
    }

    /** 40 lowercase hexadecimal characters (a full SHA-1). */
    static void commit(String field, String value) {
        if (!COMMIT.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 40 lowercase hexadecimal characters (a full commit "
                    + "id), was '" + ClientText.quote(value) + "'");
        }
    }

    static void repoUrl(String field, String url) {
        if (url.isEmpty()) {
            throw new IllegalArgumentException(field + " is required (the repository every worker fetches from)");
        }
        if (url.length() > MAX_URL_CHARS) {
            throw new IllegalArgumentException(field + ": at most " + MAX_URL_CHARS + " characters, was "
                    + url.length());
        }
        for (int k = 0; k < url.length(); k++) {
            char c = url.charAt(k);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException(field + " must not contain spaces or control characters");
            }
        }
        if (SCHEME_URL.matcher(url).matches()) {
            String rest = url.substring(url.indexOf("://") + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0 && (authority.substring(0, at).contains(":") || url.startsWith("https://"))) {
                throw credentials(field);
            }
            return;
        }
        if (url.contains("://")) {
            throw new IllegalArgumentException(field + ": '" + ClientText.quote(url) + "' is not a file://, git://, "
                    + "ssh:// or https:// URL");
        }
        if (!SCP_LIKE.matcher(url).matches()) {
            throw new IllegalArgumentException(field + ": '" + ClientText.quote(url) + "' is neither a file://, "
                    + "git://, ssh:// or https:// URL nor scp-like user@host:path");
        }
        int at = url.indexOf('@');
        if (at >= 0 && url.substring(0, at).contains(":")) {
            throw credentials(field);
        }
    }

    private static IllegalArgumentException credentials(String field) {
        return new IllegalArgumentException(field + " must not carry credentials (a password or token in the URL): "
                + "each worker holds its own for the URLs it allows");
    }

    /** A git branch name without "refs/heads/" (the rules of git check-ref-format --branch). */
    static void branch(String field, String name) {
        String why = branchProblem(name);
        if (why != null) {
            throw new IllegalArgumentException(field + ": '" + ClientText.quote(name) + "' is not a valid branch name ("
                    + why + ")");
        }
    }

    private static String branchProblem(String name) {
        if (name.length() > MAX_BRANCH_CHARS) {
            return "at most " + MAX_BRANCH_CHARS + " characters";
        }
        if (name.startsWith("refs/")) {
            return "give it without refs/heads/";
        }
        if (name.equals("@") || name.startsWith("-") || name.startsWith("/") || name.endsWith("/")
                || name.endsWith(".") || name.endsWith(".lock") || name.contains("..") || name.contains("//")
                || name.contains("@{") || name.contains("/.") || name.startsWith(".")) {
            return "no leading '-', '/' or '.', no trailing '/', '.' or '.lock', no '..', '//', '@{' or '/.'";
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c <= ' ' || c == 0x7f || "~^:?*[\\".indexOf(c) >= 0) {
                return "no spaces, control characters or any of ~ ^ : ? * [ \\";
            }
        }
        return null;
    }
}
