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
 * Parse, and parse + analyse, of real-sized roadmaps in a warm JVM. Target: a 400 KB roadmap parsed and analysed
 * in at most 50 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class RoadmapParseBenchmark {

    /** The largest corpus roadmap (100 KB), it four times over (400 KB), and a 400 KB synthetic roadmap. */
    @Param({"Mrjoel97__PIKAR-AI__ROADMAP.md", "x4:Mrjoel97__PIKAR-AI__ROADMAP.md", "gen:1500"})
    public String roadmap;

    private String text;
    private Roadmap parsed;

    @Setup
    public void setUp() {
        text = RoadmapTexts.load(roadmap);
        parsed = RoadmapLoader.parse("ROADMAP.md", text);
    }

    @Benchmark
    public Roadmap parse() {
        return RoadmapLoader.parse("ROADMAP.md", text);
    }

    @Benchmark
    public Analysis parseAndAnalyze() {
        return RoadmapAnalyzer.analyze(RoadmapLoader.parse("ROADMAP.md", text), AnalysisOptions.defaults());
    }

    @Benchmark
    public Analysis analyzeOnly() {
        return RoadmapAnalyzer.analyze(parsed, AnalysisOptions.defaults());
    }
}
