package io.phasegrid.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {

    @Test
    void splitsAStringIntoWordsLikeAShellWithoutExpandingAnything() {
        CommandTemplate template = CommandTemplate.parse(
                "claude -p {plan_file}  --output-format json 'two words' \"a \\\"quoted\\\" $HOME\" a\\ b | x > y");

        assertThat(template.argv()).containsExactly("claude", "-p", "{plan_file}", "--output-format", "json",
                "two words", "a \"quoted\" $HOME", "a b", "|", "x", ">", "y");
    }

    @Test
    void keepsEmptyQuotedWordsAndJoinsAdjacentQuotedParts() {
        assertThat(CommandTemplate.parse("cmd '' \"\" pre'mid'\"post\"").argv())
                .containsExactly("cmd", "", "", "premidpost");
    }

    @Test
    void refusesUnterminatedQuotesAndEmptyCommands() {
        assertThatThrownBy(() -> CommandTemplate.parse("cmd 'open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandTemplate.parse("cmd \"open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandTemplate.parse("cmd \\")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandTemplate.parse("   ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandTemplate.of()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void substitutesPlaceholdersInsideTheirElementOnly() {
        CommandTemplate template = CommandTemplate.of("agent", "--plan={plan_file}", "{phase}", "{run}/{attempt}");

        assertThat(template.expand(Map.of("plan_file", "/w/a b.md", "phase", "; rm -rf /", "run", "r1",
                "attempt", "2")))
                .containsExactly("agent", "--plan=/w/a b.md", "; rm -rf /", "r1/2");
    }

    @Test
    void leavesUnknownBracesAloneAndDoesNotSubstituteInsideValues() {
        CommandTemplate template = CommandTemplate.of("cmd", "{\"json\": {run}}", "{unknown}", "{phase}");

        assertThat(template.expand(Map.of("run", "r1", "phase", "{run}")))
                .containsExactly("cmd", "{\"json\": r1}", "{unknown}", "{run}");
    }
}
