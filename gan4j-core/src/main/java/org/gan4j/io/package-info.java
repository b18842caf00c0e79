/**
 * The run directory and everything written into it: atomic files, checkpoints, metrics, images and plots.
 *
 * <p>This package is engine-independent: its public API uses plain Java arrays, {@link java.nio.file.Path}s and
 * Jackson, never DJL types. Every file a run leaves behind is written atomically (temp file, fsync, rename), so a
 * crash leaves either the old or the new content, never a torn file. Layout of a run directory:
 *
 * <pre>
 * runs/&lt;name&gt;/
 *   run.json            resolved config, seed, versions, git SHA, host        ({@link org.gan4j.io.RunInfo})
 *   metrics.jsonl       one JSON object per logged step                        ({@link org.gan4j.io.MetricsLog})
 *   samples/            step-000500.png ... (fixed noise), real.png            ({@link org.gan4j.io.ImageGrid})
 *   plots/              losses.png, d-outputs.png, scatter-step-000500.png     ({@link org.gan4j.io.Plots})
 *   checkpoints/        step-000500/ {files, state.json, manifest.json}; latest ({@link org.gan4j.io.CheckpointStore})
 *   eval/               evaluation results as JSON
 * </pre>
 */
package org.gan4j.io;
