package io.phasegrid.coordinator.service;

import java.util.List;

/**
 * One page of a run listing.
 *
 * @param runs newest first, without phases
 * @param nextPageToken the token of the next page; empty when this page is the last
 */
public record RunPage(List<RunView> runs, String nextPageToken) {

    public RunPage {
        runs = List.copyOf(runs);
    }
}
