package io.phasegrid.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeneratorOptionsTest {

    @Test
    void defaultsAreAThousandRandomPhasesWithFanInThreeAndWindowHundred() {
        assertThat(GeneratorOptions.defaults())
                .isEqualTo(new GeneratorOptions(1_000, 3, 42L, Shape.RANDOM, 100, 1));
    }

    @Test
    void defaultsForAShapeUseThatShapesFanIn() {
        assertThat(GeneratorOptions.defaultsFor(Shape.WIDE).fanIn()).isEqualTo(2);
        assertThat(GeneratorOptions.defaultsFor(Shape.WIDE).shape()).isEqualTo(Shape.WIDE);
    }

    @Test
    void withersChangeOneFieldAndLeaveTheOriginalAlone() {
        GeneratorOptions original = GeneratorOptions.defaults();

        GeneratorOptions changed = original.withPhases(5).withFanIn(1).withSeed(9).withShape(Shape.DEEP)
                .withWindow(7).withMilestones(2);

        assertThat(changed).isEqualTo(new GeneratorOptions(5, 1, 9, Shape.DEEP, 7, 2));
        assertThat(original).isEqualTo(GeneratorOptions.defaults());
    }

    @Test
    void rejectsValuesThatDescribeNoRoadmap() {
        GeneratorOptions options = GeneratorOptions.defaults();
        assertThatThrownBy(() -> options.withPhases(0)).hasMessageContaining("phases");
        assertThatThrownBy(() -> options.withFanIn(-1)).hasMessageContaining("fanIn");
        assertThatThrownBy(() -> options.withWindow(0)).hasMessageContaining("window");
        assertThatThrownBy(() -> options.withMilestones(0)).hasMessageContaining("milestones");
        assertThatThrownBy(() -> options.withShape(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shapesParseFromTheirCommandLineNamesInAnyCase() {
        assertThat(Shape.parse("random")).isEqualTo(Shape.RANDOM);
        assertThat(Shape.parse("WIDE")).isEqualTo(Shape.WIDE);
        assertThat(Shape.parse(" Deep ")).isEqualTo(Shape.DEEP);
        assertThat(Shape.DEEP.cliName()).isEqualTo("deep");
        assertThatThrownBy(() -> Shape.parse("tall")).hasMessageContaining("random, wide, deep");
    }
}
