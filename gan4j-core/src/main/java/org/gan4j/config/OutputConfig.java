package org.gan4j.config;

/**
 * What a run writes and how often. Every frequency counts steps; 0 turns that output off (except the final one).
 *
 * @param dir the folder that holds run directories
 * @param logEvery append a line to metrics.jsonl every N steps
 * @param sampleEvery save a sample grid from the fixed noise every N steps
 * @param plotEvery redraw the loss and D-output plots every N steps
 * @param checkpointEvery write a checkpoint every N steps (and always at the end)
 * @param keepCheckpoints how many checkpoints to keep (the newest ones)
 * @param sampleCount how many fixed-noise samples a grid shows, at most 1024 and not necessarily a perfect square
 *     (points: how many in a scatter, at most 100,000)
 */
public record OutputConfig(
        String dir,
        int logEvery,
        int sampleEvery,
        int plotEvery,
        int checkpointEvery,
        int keepCheckpoints,
        int sampleCount) {}
