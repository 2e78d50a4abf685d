package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.ShellExecutor;
import io.phasegrid.worker.executor.ShellOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A stand-in coding agent for the tests: a shell script run in the worktree per plan that obeys its PLAN file's
 * lines ({@code write PATH TEXT}, {@code no-summary}, {@code dirty PATH}, {@code push}, {@code fail-if MARKER},
 * {@code sleep SECONDS}),
 * commits its
 * work, writes the plan's SUMMARY next to the PLAN as GSD does, and logs {@code start|done PLAN}, its start commit,
 * whether its push worked and its environment's credential variables to {@code $AGENT_LOG}.
 */
final class Agent {

    private Agent() {
    }

    static ShellExecutor install(Path dir, Path log) throws IOException {
        Path script = dir.resolve("agent.sh");
        Files.writeString(script, """
                #!/bin/sh
                set -e
                plan="$1"; id="$2"; start="$3"
                echo "start $id at $start" >> "$AGENT_LOG"
                env | grep -E '^(GIT_SSH_COMMAND|GIT_ASKPASS|SSH_AUTH_SOCK|PHASEGRID_SECRET)=' \
                  | sed 's/^/env /' >> "$AGENT_LOG" || true
                g() { git -c user.name=Agent -c user.email=agent@localhost "$@"; }
                grep '^write ' "$plan" | while read -r _ path text; do
                  mkdir -p "$(dirname "$path")"; printf '%s\\n' "$text" >> "$path"
                done
                if [ -n "$(g status --porcelain)" ]; then g add -A; g commit -q -m "feat($id): work of plan $id"; fi
                if ! grep -q '^no-summary' "$plan"; then
                  summary="${plan%-PLAN.md}-SUMMARY.md"
                  echo "# $id done" > "$summary"; g add "$summary"; g commit -q -m "docs($id): complete plan"
                fi
                if grep -q '^push' "$plan"; then
                  if g push -q origin HEAD:refs/heads/agent-push 2>/dev/null; then echo "pushed $id" >> "$AGENT_LOG"
                  else echo "push-refused $id" >> "$AGENT_LOG"; fi
                fi
                grep '^sleep ' "$plan" | while read -r _ secs; do sleep "$secs"; done
                grep '^dirty ' "$plan" | while read -r _ path; do echo leftover > "$path"; done
                grep '^fail-if ' "$plan" | while read -r _ marker; do
                  if [ -e "$marker" ]; then echo "failing $id" >&2; exit 3; fi
                done
                echo "done $id" >> "$AGENT_LOG"
                echo '{"tokens": 10}'
                """);
        return new ShellExecutor(ShellOptions.builder(
                        CommandTemplate.of("/bin/sh", script.toString(), "{plan_file}", "{plan_id}", "{start_commit}"))
                .killGrace(Duration.ofSeconds(1))
                .environment(Map.of("AGENT_LOG", log.toString()))
                .build());
    }
}
