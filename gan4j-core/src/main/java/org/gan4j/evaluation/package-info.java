/**
 * Evaluation metrics for generative models, written as pure functions over feature vectors.
 *
 * <p>Every metric takes features as {@code double[][]} with one row per sample and returns a record of its result.
 * Extracting features (from an Inception-like network, a classifier or the raw data) is a separate step done once
 * per evaluation; nothing here depends on DJL. The exact definitions, defaults and references are collected in
 * {@code docs/metrics.md}.
 */
package org.gan4j.evaluation;
