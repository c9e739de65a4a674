package io.weft.runtime.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a process holds that a leak would grow: heap still used after a full GC, and open file descriptors. */
final class SidecarProcessGauges {

    private SidecarProcessGauges() {
    }

    /** Bytes of heap in use after asking for full collections until the figure settles (at most five). */
    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used - 1024 * 1024) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** File descriptors this process has open (Linux). */
    static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
