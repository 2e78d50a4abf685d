package io.phasegrid.bench.gen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a test sees in a generated ROADMAP.md, read with a handful of regexes (not the project's parser). */
record ParsedRoadmap(List<Integer> checklist, List<ParsedPhase> phases, List<String> milestoneHeadings) {

    record ParsedPhase(int number, String name, List<Integer> dependsOn, boolean dependsOnNothing,
                       String dependsOnText, int requirements, int successCriteria, String plans) {
    }

    private static final Pattern CHECKLIST = Pattern.compile("^- \\[ \\] \\*\\*Phase (\\d+): (.+)\\*\\* - .+$");
    private static final Pattern HEADING = Pattern.compile("^### Phase (\\d+): (.+)$");
    private static final Pattern MILESTONE = Pattern.compile("^## (v\\d+\\.0 .+ \\(Phases \\d+-\\d+\\))$");
    private static final Pattern DEPENDS_ON = Pattern.compile("^\\*\\*Depends on\\*\\*: (.+)$");
    private static final Pattern PHASE_LIST = Pattern.compile("^Phase \\d+(, Phase \\d+)*$");
    private static final Pattern REQUIREMENTS = Pattern.compile("^\\*\\*Requirements\\*\\*: (.+)$");
    private static final Pattern CRITERION = Pattern.compile("^  \\d+\\. .+$");
    private static final Pattern PLANS = Pattern.compile("^\\*\\*Plans\\*\\*: (.+)$");

    static ParsedRoadmap parse(String text) {
        try {
            return parse(new BufferedReader(new StringReader(text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedRoadmap parse(BufferedReader reader) throws IOException {
        List<Integer> checklist = new ArrayList<>();
        List<ParsedPhase> phases = new ArrayList<>();
        List<String> milestones = new ArrayList<>();
        PhaseBuilder current = null;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            Matcher m;
            if ((m = CHECKLIST.matcher(line)).matches()) {
                checklist.add(Integer.parseInt(m.group(1)));
            } else if ((m = MILESTONE.matcher(line)).matches()) {
                milestones.add(m.group(1));
            } else if ((m = HEADING.matcher(line)).matches()) {
                if (current != null) {
                    phases.add(current.build());
                }
                current = new PhaseBuilder(Integer.parseInt(m.group(1)), m.group(2));
            } else if (current != null && (m = DEPENDS_ON.matcher(line)).matches()) {
                current.dependsOn(m.group(1));
            } else if (current != null && (m = REQUIREMENTS.matcher(line)).matches()) {
                current.requirements = m.group(1).split(", ").length;
            } else if (current != null && CRITERION.matcher(line).matches()) {
                current.successCriteria++;
            } else if (current != null && (m = PLANS.matcher(line)).matches()) {
                current.plans = m.group(1);
            }
        }
        if (current != null) {
            phases.add(current.build());
        }
        return new ParsedRoadmap(checklist, phases, milestones);
    }

    long edgeCount() {
        return phases.stream().mapToLong(p -> p.dependsOn().size()).sum();
    }

    private static final class PhaseBuilder {
        final int number;
        final String name;
        String dependsOnText;
        List<Integer> dependsOn = List.of();
        boolean nothing;
        int requirements;
        int successCriteria;
        String plans;

        PhaseBuilder(int number, String name) {
            this.number = number;
            this.name = name;
        }

        void dependsOn(String text) {
            dependsOnText = text;
            nothing = text.startsWith("Nothing");
            if (PHASE_LIST.matcher(text).matches()) {
                dependsOn = Arrays.stream(text.split(", ")).map(s -> Integer.valueOf(s.substring("Phase ".length())))
                        .toList();
            }
        }

        ParsedPhase build() {
            return new ParsedPhase(number, name, dependsOn, nothing, dependsOnText, requirements, successCriteria,
                    plans);
        }
    }
}
