package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.proto.v1.GitSource;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SubmitRun with a GitSource over in-process gRPC: every field's form as run.proto states it. A bad one is
 * INVALID_ARGUMENT naming the field, and nothing is stored; a good one is kept as the run's RunGit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitSubmitValidationTest {

    private static final String BASE = "0123456789abcdef0123456789abcdef01234567";

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private RunServiceGrpc.RunServiceBlockingStub stub;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("git-submit"));
        runs = new HazelcastRunCoordinator(member);
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name), List.of(new RunGrpcService(runs)))
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = RunServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        runs.close();
        member.shutdown();
    }

    private static SubmitRunRequest bundle(GitSource.Builder git) {
        return SubmitRunRequest.newBuilder()
                .setBundle(PlanningBundle.newBuilder().addFiles(BundleFile.newBuilder()
                        .setPath(".planning/ROADMAP.md")
                        .setContent(ByteString.copyFromUtf8("# Roadmap\n\n## Phases\n\n- [ ] **Phase 1: One** - x\n"))))
                .setGit(git).build();
    }

    private static GitSource.Builder good() {
        return GitSource.newBuilder().setRepoUrl("file:///srv/git/p.git").setBaseCommit(BASE);
    }

    static List<Arguments> badSources() {
        return List.of(
                Arguments.of("no URL", good().clearRepoUrl(), "git.repo_url"),
                Arguments.of("URL too long", good().setRepoUrl("file:///" + "x".repeat(2_041)), "git.repo_url"),
                Arguments.of("space in URL", good().setRepoUrl("file:///srv/my repo.git"), "git.repo_url"),
                Arguments.of("control character", good().setRepoUrl("file:///srv/a\n.git"), "git.repo_url"),
                Arguments.of("unknown scheme", good().setRepoUrl("ftp://host/p.git"), "git.repo_url"),
                Arguments.of("http without TLS", good().setRepoUrl("http://host/p.git"), "git.repo_url"),
                Arguments.of("not a URL", good().setRepoUrl("just-a-name"), "git.repo_url"),
                Arguments.of("password in https", good().setRepoUrl("https://user:secret@host/p.git"),
                        "credentials"),
                Arguments.of("token in https", good().setRepoUrl("https://ghp_token@host/p.git"), "credentials"),
                Arguments.of("password in ssh", good().setRepoUrl("ssh://git:secret@host/p.git"), "credentials"),
                Arguments.of("password scp-like", good().setRepoUrl("git:secret@host:p.git"), "credentials"),
                Arguments.of("no base", good().clearBaseCommit(), "git.base_commit"),
                Arguments.of("short base", good().setBaseCommit("0123456"), "git.base_commit"),
                Arguments.of("uppercase base", good().setBaseCommit(BASE.toUpperCase()), "git.base_commit"),
                Arguments.of("branch with space", good().setBaseBranch("my branch"), "git.base_branch"),
                Arguments.of("branch with ..", good().setBaseBranch("a..b"), "git.base_branch"),
                Arguments.of("branch ending .lock", good().setBaseBranch("main.lock"), "git.base_branch"),
                Arguments.of("branch with refs/heads/", good().setBaseBranch("refs/heads/main"), "git.base_branch"),
                Arguments.of("branch starting with -", good().setBaseBranch("-main"), "git.base_branch"),
                Arguments.of("branch too long", good().setBaseBranch("b".repeat(256)), "git.base_branch"),
                Arguments.of("fast-forward without branch", good().setDelivery(Delivery.DELIVERY_FAST_FORWARD),
                        "git.base_branch"),
                Arguments.of("unknown delivery", good().setDeliveryValue(7), "git.delivery"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSources")
    void aBadGitSourceIsInvalidArgumentNamingTheField(String why, GitSource.Builder git, String named) {
        long runsBefore = member.getMap(io.phasegrid.coordinator.hazelcast.MapNames.RUNS).size();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.submit(bundle(git)));

        assertThat(e).as(why).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains(named);
        assertThat(member.getMap(io.phasegrid.coordinator.hazelcast.MapNames.RUNS).size()).isEqualTo(runsBefore);
    }

    @Test
    void aGitRunOfAStructuredRoadmapIsInvalidArgument() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub.submit(
                SubmitRunRequest.newBuilder().setGit(good()).setStructured(StructuredRoadmap.newBuilder()
                        .addPhases(StructuredPhase.newBuilder().setKey("a"))).build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("git").contains("bundle");
    }

    @Test
    void everyAcceptedUrlFormIsKeptAsSubmitted() {
        for (String url : List.of("file:///srv/git/p.git", "git://127.0.0.1:9418/p.git", "ssh://git@host/p.git",
                "https://host/org/p.git", "git@github.com:org/p.git")) {
            Run run = stub.submit(bundle(good().setRepoUrl(url).setBaseBranch("feature/x-1")
                    .setDelivery(Delivery.DELIVERY_FAST_FORWARD))).getRun();

            assertThat(run.getGit().getRepoUrl()).isEqualTo(url);
            assertThat(run.getGit().getBaseCommit()).isEqualTo(BASE);
            assertThat(run.getGit().getBaseBranch()).isEqualTo("feature/x-1");
            assertThat(run.getGit().getDelivery()).isEqualTo(Delivery.DELIVERY_FAST_FORWARD);
        }
    }
}
