package io.phasegrid.common.budget;

/** Whether the remaining token budget can carry a group of phases that could run in parallel. */
public enum TokenVerdict {
    /** The budget covers the whole group at once. */
    CAN_PROCEED,
    /** The budget covers the most expensive phase of the group but not the group: run one phase at a time. */
    FALLBACK_SEQUENTIAL,
    /** The budget does not cover even the most expensive single phase: pause until a top-up. */
    INSUFFICIENT
}
