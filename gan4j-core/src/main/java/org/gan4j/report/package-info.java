/**
 * Run reports: a self-contained HTML file per run or comparison ({@link org.gan4j.report.HtmlReport}), read from a run
 * directory ({@link org.gan4j.report.RunData}), and a live dashboard served over HTTP on loopback
 * ({@link org.gan4j.report.ReportServer}). Charts use the uPlot library, bundled into the jar at build time.
 */
package org.gan4j.report;
