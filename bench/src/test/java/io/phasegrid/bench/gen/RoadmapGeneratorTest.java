package io.phasegrid.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.bench.gen.ParsedRoadmap.ParsedPhase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoadmapGeneratorTest {

    private static final GeneratorOptions SMALL = GeneratorOptions.defaults().withPhases(300);

    @Test
    void theSameOptionsGiveByteIdenticalText() {
        assertThat(new RoadmapGenerator(SMALL).generate()).isEqualTo(new RoadmapGenerator(SMALL).generate());
    }

    @Test
    void aDifferentSeedGivesADifferentRoadmap() {
        assertThat(new RoadmapGenerator(SMALL.withSeed(1)).generate())
                .isNotEqualTo(new RoadmapGenerator(SMALL.withSeed(2)).generate());
    }

    @Test
    void writingToAWriterGivesTheSameTextAsGenerate() throws IOException {
        StringWriter out = new StringWriter();

        new RoadmapGenerator(SMALL).write(out);

        assertThat(out).hasToString(new RoadmapGenerator(SMALL).generate());
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void everyPhaseAppearsOnceInTheChecklistAndOnceInTheDetails(Shape shape) {
        ParsedRoadmap roadmap = parse(GeneratorOptions.defaultsFor(shape).withPhases(1_000));

        assertThat(roadmap.checklist()).containsExactlyElementsOf(IntStream.rangeClosed(1, 1_000).boxed().toList());
        assertThat(roadmap.phases()).extracting(ParsedPhase::number)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 1_000).boxed().toList());
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void dependsOnLinesDeclareExactlyTheExpectedGraph(Shape shape) {
        RoadmapGenerator generator = new RoadmapGenerator(GeneratorOptions.defaultsFor(shape).withPhases(1_000));
        ParsedRoadmap roadmap = ParsedRoadmap.parse(generator.generate());

        for (ParsedPhase phase : roadmap.phases()) {
            assertThat(phase.dependsOn()).as("Phase %d", phase.number())
                    .containsExactly(IntStream.of(generator.graph().dependenciesOf(phase.number())).boxed()
                            .toArray(Integer[]::new));
        }
        assertThat(roadmap.edgeCount()).isEqualTo(generator.graph().edgeCount());
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void dependsOnLinesReferenceOnlyEarlierPhasesOrSayNothing(Shape shape) {
        ParsedRoadmap roadmap = parse(GeneratorOptions.defaultsFor(shape).withPhases(500).withSeed(99));

        for (ParsedPhase phase : roadmap.phases()) {
            assertThat(phase.dependsOnText()).as("Phase %d", phase.number())
                    .matches("Phase \\d+(, Phase \\d+)*|Nothing \\(.+\\)");
            assertThat(phase.dependsOn()).allSatisfy(d -> assertThat(d).isLessThan(phase.number()));
            assertThat(phase.dependsOnNothing()).isEqualTo(phase.dependsOn().isEmpty());
        }
        assertThat(roadmap.phases().get(0).dependsOnText()).isEqualTo("Nothing (first phase)");
    }

    @Test
    void theRandomShapeWithFanInThreeDeclaresTheExpectedNumberOfDependencies() {
        ParsedRoadmap roadmap = parse(GeneratorOptions.defaults().withPhases(1_000).withFanIn(3));

        assertThat(roadmap.edgeCount()).isEqualTo(0 + 1 + 2 + 3 * 997);
    }

    @Test
    void everyPhaseHasAGoalOneToThreeRequirementsTwoToFourSuccessCriteriaAndPlans() {
        ParsedRoadmap roadmap = parse(SMALL);

        assertThat(roadmap.phases()).allSatisfy(phase -> {
            assertThat(phase.requirements()).isBetween(1, 3);
            assertThat(phase.successCriteria()).isBetween(2, 4);
            assertThat(phase.plans()).matches("1 plan|[234] plans");
        });
        assertThat(roadmap.phases()).extracting(ParsedPhase::requirements).contains(1, 2, 3);
        assertThat(roadmap.phases()).extracting(ParsedPhase::successCriteria).contains(2, 3, 4);
    }

    @Test
    void theTextFollowsTheGsdRoadmapLayout() {
        String text = new RoadmapGenerator(SMALL.withPhases(3)).generate();

        assertThat(text).startsWith("# Roadmap: ")
                .contains("\n## Phases\n\n- [ ] **Phase 1: ")
                .contains("\n## Phase Details\n")
                .contains("\n### Phase 2: ")
                .contains("\n**Goal**: ")
                .contains("\n**Depends on**: Nothing (first phase)\n")
                .contains("\n**Success Criteria** (what must be TRUE):\n  1. ")
                .containsPattern("\n\\*\\*Requirements\\*\\*: [A-Z0-9]+-\\d{2}")
                .containsPattern("\n\\*\\*Plans\\*\\*: \\d plans?\n");
    }

    @Test
    void milestonesSplitThePhasesIntoConsecutiveSections() {
        ParsedRoadmap roadmap = parse(SMALL.withPhases(1_000).withMilestones(4));

        assertThat(roadmap.milestoneHeadings()).containsExactly(
                "v1.0 MVP (Phases 1-250)",
                "v2.0 Beta (Phases 251-500)",
                "v3.0 Public Launch (Phases 501-750)",
                "v4.0 Teams (Phases 751-1000)");
    }

    @Test
    void aSingleMilestoneHasNoMilestoneSections() {
        String text = new RoadmapGenerator(SMALL).generate();

        assertThat(ParsedRoadmap.parse(text).milestoneHeadings()).isEmpty();
        assertThat(text).doesNotContain("## Milestones");
    }

    @Test
    void moreMilestonesThanPhasesGiveOneMilestonePerPhase() {
        assertThat(parse(SMALL.withPhases(2).withMilestones(5)).milestoneHeadings())
                .containsExactly("v1.0 MVP (Phases 1-1)", "v2.0 Beta (Phases 2-2)");
    }

    @Test
    void writePlanningCreatesTheRoadmapAndConfigAndReturnsThePlanningFolder(@TempDir Path dir) throws IOException {
        RoadmapGenerator generator = new RoadmapGenerator(SMALL);

        Path planning = generator.writePlanning(dir.resolve("project"));

        assertThat(planning).isEqualTo(dir.resolve("project/.planning")).isDirectory();
        assertThat(planning.resolve("ROADMAP.md")).content(StandardCharsets.UTF_8).isEqualTo(generator.generate());
        assertThat(planning.resolve("config.json")).content(StandardCharsets.UTF_8)
                .containsPattern("\"parallelization\"\\s*:\\s*true");
    }

    @Test
    void aHundredThousandPhasesStreamToAFile(@TempDir Path dir) throws IOException {
        RoadmapGenerator generator = new RoadmapGenerator(
                GeneratorOptions.defaults().withPhases(100_000).withFanIn(3).withMilestones(10));

        Path planning = generator.writePlanning(dir);

        ParsedRoadmap roadmap;
        try (BufferedReader reader = Files.newBufferedReader(planning.resolve("ROADMAP.md"))) {
            roadmap = ParsedRoadmap.parse(reader);
        }
        assertThat(roadmap.checklist()).hasSize(100_000);
        assertThat(roadmap.phases()).hasSize(100_000);
        assertThat(roadmap.edgeCount()).isEqualTo(generator.graph().edgeCount()).isEqualTo(0 + 1 + 2 + 3 * (100_000 - 3));
        assertThat(roadmap.milestoneHeadings()).hasSize(10).last().isEqualTo("v10.0 Automation (Phases 90001-100000)");
    }

    private static ParsedRoadmap parse(GeneratorOptions options) {
        return ParsedRoadmap.parse(new RoadmapGenerator(options).generate());
    }
}
