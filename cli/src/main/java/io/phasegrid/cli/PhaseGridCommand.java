package io.phasegrid.cli;

public final class PhaseGridCommand {
    public static void main(String[] args) {
        System.out.println("phasegrid: under construction");
    }
}
