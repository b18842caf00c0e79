package org.gan4j.data;

import org.gan4j.config.DataConfig.DataKind;

/**
 * A dataset opened from a {@link org.gan4j.config.DataConfig}, with what {@code auto} resolved to.
 *
 * @param dataset the examples, ready for a {@link BatchLoader}
 * @param resolvedKind the concrete kind (never AUTO)
 * @param source the absolute path read, or the synthetic kind's name for point data
 */
public record OpenedDataset(GanDataset dataset, DataKind resolvedKind, String source) {}
