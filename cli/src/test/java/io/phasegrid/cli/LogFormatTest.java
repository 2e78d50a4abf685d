package io.phasegrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.worker.agent.PhaseLogContext;
import io.phasegrid.worker.agent.WorkerAgent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The two log formats of the process commands, each configured on a logger context of its own (the process's one is
 * left alone) whose stderr appender writes to memory.
 */
class LogFormatTest {

    private static final Lease LEASE = Lease.newBuilder()
            .setRunId("r-42").setPhaseKey("07").setAttempt(2).setEpoch(9).build();

    /** Configures {@code format} on a fresh context; returns its logger for {@code name} and the captured output. */
    private static Captured capture(LogFormat format, Class<?> name) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the MDC that the application code writes to
        format.configure(context);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> stderr = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stderr.setOutputStream(bytes);
        return new Captured(context.getLogger(name), bytes);
    }

    private record Captured(Logger logger, ByteArrayOutputStream bytes) {
        List<String> lines() {
            return bytes.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void jsonWritesOneObjectPerLineWithThePhaseFields() throws Exception {
        Captured json = capture(LogFormat.JSON, WorkerAgent.class);

        try (PhaseLogContext context = PhaseLogContext.open(LEASE, "gpu-box-1")) {
            json.logger().warn("worker gpu-box-1: lease {} lost", "run r-42 phase 07 epoch 9");
        }
        json.logger().warn("worker gpu-box-1 cannot register");

        List<String> lines = json.lines();
        assertThat(lines).hasSize(2);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode aboutPhase = mapper.readTree(lines.get(0));
        assertThat(aboutPhase.get("message").asText()).isEqualTo("worker gpu-box-1: lease run r-42 phase 07 epoch 9 lost");
        assertThat(aboutPhase.get("level").asText()).isEqualTo("WARN");
        assertThat(aboutPhase.get("logger_name").asText()).isEqualTo(WorkerAgent.class.getName());
        assertThat(aboutPhase.has("@timestamp")).isTrue();
        assertThat(aboutPhase.get("thread_name").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(aboutPhase.get("run").asText()).isEqualTo("r-42");
        assertThat(aboutPhase.get("phase").asText()).isEqualTo("07");
        assertThat(aboutPhase.get("attempt").asText()).isEqualTo("2");
        assertThat(aboutPhase.get("worker").asText()).isEqualTo("gpu-box-1");
        assertThat(aboutPhase.get("epoch").asText()).isEqualTo("9");
        JsonNode notAboutPhase = mapper.readTree(lines.get(1));
        assertThat(notAboutPhase.has("run")).as("the phase's fields end with its context").isFalse();
    }

    @Test
    void humanWritesThePlainLinesOfLogbackXml() {
        Captured human = capture(LogFormat.HUMAN, WorkerAgent.class);

        human.logger().warn("worker w: heartbeat refused");

        assertThat(human.lines()).singleElement().satisfies(line -> assertThat(line)
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  i\\.p\\.w\\.a\\.WorkerAgent - worker w: heartbeat refused"));
    }

    @Test
    void theProcessCommandsTakeTheOption() {
        for (String command : List.of("run", "coordinator", "worker")) {
            assertThat(CliRun.of(command, "--help").out()).as(command)
                    .contains("--log-format=human|json").contains("PHASEGRID_LOG_FORMAT");
        }
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        CliRun run = CliRun.of("worker", "--log-format", "xml");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--log-format").contains("expected human or json");
    }
}
