package io.phasegrid.cli.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextEditorTest {

    private static final String CONFIG = """
            {
              "mode": "yolo",
              "parallelization": {
                "enabled": true,
                "max_concurrent_agents": 3
              },
              "workflow": {"research": true}
            }
            """;

    @Test
    void replacesOnlyTheValueItChanges() {
        String edited = JsonTextEditor.set(CONFIG, List.of("parallelization", "max_concurrent_agents"), "5");

        assertThat(edited).isEqualTo(CONFIG.replace("\"max_concurrent_agents\": 3", "\"max_concurrent_agents\": 5"));
    }

    @Test
    void appendsAMissingMemberWithTheIndentationOfItsSiblings() {
        String edited = JsonTextEditor.set(CONFIG, List.of("parallelization", "schedule"), "\"waves\"");

        assertThat(edited).isEqualTo(CONFIG.replace("\"max_concurrent_agents\": 3",
                "\"max_concurrent_agents\": 3,\n    \"schedule\": \"waves\""));
    }

    @Test
    void appendsToASingleLineObjectOnTheSameLine() {
        String edited = JsonTextEditor.set(CONFIG, List.of("workflow", "verifier"), "false");

        assertThat(edited).contains("\"workflow\": {\"research\": true, \"verifier\": false}");
    }

    @Test
    void turnsABooleanSectionIntoAnObjectKeepingItAsEnabled() {
        String text = "{\n  \"mode\": \"yolo\",\n  \"parallelization\": true,\n  \"commit_docs\": true\n}\n";

        String edited = JsonTextEditor.set(text, List.of("parallelization", "max_concurrent_agents"), "4");

        assertThat(edited).isEqualTo("{\n  \"mode\": \"yolo\",\n  \"parallelization\": {\n    \"enabled\": true,\n"
                + "    \"max_concurrent_agents\": 4\n  },\n  \"commit_docs\": true\n}\n");
    }

    @Test
    void createsNestedObjectsInAnEmptyDocument() {
        String edited = JsonTextEditor.set("{}\n", List.of("parallelization", "schedule"), "\"eager\"");

        assertThat(edited).isEqualTo("{\n  \"parallelization\": {\n    \"schedule\": \"eager\"\n  }\n}\n");
    }

    @Test
    void keepsCrlfLineEndsAndTabs() {
        String text = "{\r\n\t\"a\": 1,\r\n\t\"b\": [1, 2]\r\n}\r\n";

        assertThat(JsonTextEditor.set(text, List.of("a"), "2")).isEqualTo("{\r\n\t\"a\": 2,\r\n\t\"b\": [1, 2]\r\n}\r\n");
    }

    @Test
    void insertsWithCrlfWhenTheFileUsesCrlf() {
        String text = "{\r\n  \"a\": 1\r\n}\r\n";

        assertThat(JsonTextEditor.set(text, List.of("b"), "2")).isEqualTo("{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n");
    }

    @Test
    void rejectsTextThatIsNotAJsonObjectNamingTheLine() {
        assertThatThrownBy(() -> JsonTextEditor.set("{\n  \"a\": 1,\n  oops\n}", List.of("a"), "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 3:");
        assertThatThrownBy(() -> JsonTextEditor.set("[1]", List.of("a"), "2"))
                .hasMessageContaining("expected a JSON object");
    }
}
