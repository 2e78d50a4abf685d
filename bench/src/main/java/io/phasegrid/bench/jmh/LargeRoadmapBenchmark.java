package io.phasegrid.bench.jmh;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.roadmap.Roadmap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 100,000 phases and about 300,000 dependencies (random shape, fan-in 3) at {@code -Xmx512m}. Target: parse and
 * analysis each at most about a second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 7)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class LargeRoadmapBenchmark {

    @Param({"100000"})
    public int phases;

    private String text;
    private Roadmap parsed;

    @Setup
    public void setUp() {
        text = RoadmapTexts.load("gen:" + phases);
        parsed = RoadmapLoader.parse("ROADMAP.md", text);
    }

    @Benchmark
    public Roadmap parse() {
        return RoadmapLoader.parse("ROADMAP.md", text);
    }

    @Benchmark
    public Analysis analyzeOnly() {
        return RoadmapAnalyzer.analyze(parsed, AnalysisOptions.defaults());
    }

    @Benchmark
    public Analysis parseAndAnalyze() {
        return RoadmapAnalyzer.analyze(RoadmapLoader.parse("ROADMAP.md", text), AnalysisOptions.defaults());
    }
}
