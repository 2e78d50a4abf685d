package io.phasegrid.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenUsageParserTest {

    @Test
    void readsTheTokensOfAJsonLine() {
        assertThat(TokenUsageParser.parse("working...\n{\"tokens\": 1234}\n")).hasValue(1234);
    }

    @Test
    void theLastLineCarryingTokensWins() {
        assertThat(TokenUsageParser.parse("{\"tokens\": 1}\n{\"tokens\": 2}\n{\"status\": \"done\"}\nbye\n"))
                .hasValue(2);
    }

    @Test
    void readsAnAgentCliUsageBlockCountingCacheCreationButNotCacheReads() {
        String claude = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"Done.\","
                + "\"total_cost_usd\":0.12,\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":20,"
                + "\"cache_read_input_tokens\":50000,\"output_tokens\":300,\"server_tool_use\":"
                + "{\"web_search_requests\":0}}}";

        assertThat(TokenUsageParser.parse(claude)).hasValue(420);
    }

    @Test
    void readsTheLastResultLineOfAStreamOfJsonEvents() {
        String stream = "{\"type\":\"system\",\"subtype\":\"init\"}\n"
                + "{\"type\":\"assistant\",\"message\":{\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n"
                + "{\"type\":\"result\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}\n";

        assertThat(TokenUsageParser.parse(stream)).hasValue(15);
    }

    @Test
    void takesTotalTokensWhenTheUsageBlockHasThem() {
        assertThat(TokenUsageParser.parse("{\"usage\":{\"input_tokens\":1,\"output_tokens\":2,\"total_tokens\":99}}"))
                .hasValue(99);
    }

    @Test
    void readsOpenAiStylePromptAndCompletionTokens() {
        assertThat(TokenUsageParser.parse("{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":8}}")).hasValue(15);
    }

    @Test
    void readsAPrettyPrintedJsonDocument() {
        String pretty = "{\n  \"result\": \"ok\",\n  \"usage\": {\n    \"input_tokens\": 3,\n"
                + "    \"output_tokens\": 4\n  }\n}\n";

        assertThat(TokenUsageParser.parse(pretty)).hasValue(7);
    }

    @Test
    void findsNothingInPlainTextBrokenJsonOrJsonWithoutTokens() {
        assertThat(TokenUsageParser.parse("")).isEmpty();
        assertThat(TokenUsageParser.parse(null)).isEmpty();
        assertThat(TokenUsageParser.parse("all done, used 500 tokens\n")).isEmpty();
        assertThat(TokenUsageParser.parse("{\"tokens\": 12")).isEmpty();
        assertThat(TokenUsageParser.parse("{\"result\": \"ok\"}")).isEmpty();
        assertThat(TokenUsageParser.parse("[{\"tokens\": 5}]")).isEmpty();
    }

    @Test
    void ignoresNegativeFractionalAndNonNumericCounts() {
        assertThat(TokenUsageParser.parse("{\"tokens\": -5}")).isEmpty();
        assertThat(TokenUsageParser.parse("{\"tokens\": 1.5}")).isEmpty();
        assertThat(TokenUsageParser.parse("{\"tokens\": \"12\"}")).isEmpty();
        assertThat(TokenUsageParser.parse("{\"tokens\": 12.0}")).hasValue(12);
    }
}
