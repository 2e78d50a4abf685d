package io.phasegrid.cli.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for a coding agent such as {@code claude -p {plan_file}}: a shell script run in the phase's worktree
 * that does what its PLAN file tells it, then commits and writes the plan's SUMMARY as GSD's executor does. The
 * PLAN body lines it obeys:
 * <ul>
 *   <li>{@code write PATH TEXT}: append TEXT to PATH (committed as {@code feat(PLAN): ...});</li>
 *   <li>{@code slow-on WORKER SECONDS}: sleep that long after the commit when run by worker WORKER;</li>
 *   <li>{@code no-summary}: write no SUMMARY (nor does a plan-less phase, whose plan file is not in .planning);</li>
 *   <li>{@code dirty PATH}: leave PATH written but uncommitted at the end;</li>
 *   <li>{@code push}: try {@code git push} (PhaseGrid must make it fail) and log whether it worked.</li>
 * </ul>
 * Every plan appends {@code start|done PHASE PLAN WORKER} to {@code $E2E_LOG} and prints {@code {"tokens": 100}}.
 */
final class StandInAgent {

    static final long TOKENS_PER_PLAN = 100;

    private StandInAgent() {
    }

    /** Writes the script under {@code dir}; returns the {@code --command} template that runs it. */
    static String install(Path dir) throws IOException {
        Path script = dir.resolve("stand-in-agent.sh");
        Files.writeString(script, """
                #!/bin/sh
                # $1 plan file, $2 plan id, $3 phase key
                set -e
                plan="$1"; id="$2"; phase="$3"
                echo "start $phase $id $E2E_WORKER" >> "$E2E_LOG"
                g() { git -c user.name=Agent -c user.email=agent@localhost "$@"; }
                grep '^write ' "$plan" | while read -r _ path text; do
                  mkdir -p "$(dirname "$path")"; printf '%%s\\n' "$text" >> "$path"
                done
                if ! g diff --quiet || [ -n "$(g ls-files --others --exclude-standard)" ]; then
                  g add -A; g commit -q -m "feat($id): work of plan $id"
                fi
                grep '^slow-on ' "$plan" | while read -r _ who secs; do
                  if [ "$who" = "$E2E_WORKER" ]; then sleep "$secs"; fi
                done
                # a plan-less phase's {plan_file} is PhaseGrid's own control file, not a GSD plan: no SUMMARY
                case "$plan" in */.planning/*) planned=yes ;; *) planned=no ;; esac
                if [ "$planned" = yes ] && ! grep -q '^no-summary' "$plan"; then
                  summary="${plan%%-PLAN.md}-SUMMARY.md"
                  printf '# Plan %%s summary\\n\\nDone by %%s.\\n' "$id" "$E2E_WORKER" > "$summary"
                  g add "$summary"; g commit -q -m "docs($id): complete plan"
                fi
                if grep -q '^push' "$plan"; then
                  if g push -q origin HEAD:refs/heads/agent-push 2>/dev/null; then
                    echo "pushed $phase $id $E2E_WORKER" >> "$E2E_LOG"
                  else
                    echo "push-refused $phase $id $E2E_WORKER" >> "$E2E_LOG"
                  fi
                fi
                grep '^dirty ' "$plan" | while read -r _ path; do echo leftover > "$path"; done
                echo "done $phase $id $E2E_WORKER" >> "$E2E_LOG"
                echo '{"tokens": %d}'
                """.formatted(TOKENS_PER_PLAN));
        return "/bin/sh " + script + " {plan_file} {plan_id} {phase}";
    }
}
