package io.phasegrid.bench.git;

import io.phasegrid.worker.git.Git;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A generated bare repository the size of a real project for the workspace benchmarks: {@code files} source files
 * in a tree of folders, then {@code commits} commits each editing a few of them, written in one {@code git
 * fast-import} stream (seconds, not the minutes of thousands of {@code git commit}s). Deterministic for a seed.
 */
public final class SyntheticRepository {

    private SyntheticRepository() {
    }

    /** Creates the bare repository {@code bare}; its branch {@code main} holds the history. */
    public static void create(Path bare, int files, int commits, long seed) throws Exception {
        Files.createDirectories(bare);
        Git git = Git.cli().in(bare).withTimeout(java.time.Duration.ofMinutes(10));
        git.run("init", "-q", "--bare", "-b", "main");
        Random random = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream(64 << 20);
        long time = 1_700_000_000L;
        commit(stream, 1, time, "initial import", null);
        for (int f = 0; f < files; f++) {
            modify(stream, path(f), content(f, 0, random));
        }
        for (int c = 2; c <= commits; c++) {
            commit(stream, c, time + c * 60L, "change " + c, c - 1);
            int edits = 1 + random.nextInt(5);
            for (int e = 0; e < edits; e++) {
                int f = random.nextInt(files);
                modify(stream, path(f), content(f, c, random));
            }
        }
        stream.write("done\n".getBytes(StandardCharsets.UTF_8));
        git.exec(stream.toByteArray(), "fast-import", "--quiet", "--done");
        git.run("gc", "-q", "--aggressive", "--prune=now");
    }

    /** The path of generated file {@code f}: 100 files a folder, folders two levels deep. */
    public static String path(int f) {
        return "src/m" + (f / 1000) + "/p" + (f / 100 % 10) + "/File" + f + ".java";
    }

    private static void commit(ByteArrayOutputStream out, int mark, long time, String message, Integer parent) {
        StringBuilder header = new StringBuilder()
                .append("commit refs/heads/main\n")
                .append("mark :").append(mark).append('\n')
                .append("committer Bench <bench@localhost> ").append(time).append(" +0000\n");
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        header.append("data ").append(msg.length).append('\n').append(message).append('\n');
        if (parent != null) {
            header.append("from :").append(parent).append('\n');
        }
        out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void modify(ByteArrayOutputStream out, String path, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(("M 100644 inline " + path + "\ndata " + data.length + "\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String content(int f, int version, Random random) {
        StringBuilder s = new StringBuilder("package m").append(f / 1000).append(";\n\n/** Generated file ")
                .append(f).append(", version ").append(version).append(". */\npublic final class File").append(f)
                .append(" {\n");
        int methods = 5 + random.nextInt(20);
        for (int m = 0; m < methods; m++) {
            s.append("    int method").append(m).append("(int x) {\n        return x * ").append(random.nextInt(1000))
                    .append(" + ").append(version).append(";\n    }\n");
        }
        return s.append("}\n").toString();
    }
}
