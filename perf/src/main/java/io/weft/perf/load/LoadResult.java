package io.weft.perf.load;

import org.HdrHistogram.Histogram;

/**
 * What one measured window of one scenario gave.
 *
 * @param rate        the intended requests per second, or 0 for a closed loop at full speed
 * @param completed   requests answered with 2xx in the window
 * @param errors      requests failed or answered otherwise, plus those dropped because too many were outstanding
 * @param latency     microseconds from each request's intended start (at a fixed rate) or actual start (closed loop)
 * @param cpuSeconds  CPU time of this (client) process during the window
 */
public record LoadResult(String scenario, int rate, long completed, long errors, Histogram latency, double seconds,
                         double cpuSeconds) {

    public double throughput() {
        return completed / seconds;
    }

    /** CPU microseconds this process spent per request. */
    public double cpuMicrosPerRequest() {
        return completed == 0 ? Double.NaN : cpuSeconds * 1e6 / completed;
    }

    public double percentile(double p) {
        return latency.getValueAtPercentile(p);
    }
}
