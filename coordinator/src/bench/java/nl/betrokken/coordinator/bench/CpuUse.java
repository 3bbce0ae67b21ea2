package nl.betrokken.coordinator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU a phase of the benchmark used: the whole machine's busy time from {@code /proc/stat} (PostgreSQL, this JVM
 * and anything else running) and this JVM's own, so that the database's share shows as the difference. Times in
 * core-seconds; on a machine without {@code /proc/stat} the machine's figure is left out.
 */
record CpuUse(double machine, double jvm) {

    static CpuUse now() {
        double machine = Double.NaN;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(f[i]);
            }
            machine = busy / 100.0; // USER_HZ
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's figure alone
        }
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return new CpuUse(machine, jvm);
    }

    /** What was used from {@code start} until now, as one line. */
    static String since(CpuUse start, String phase) {
        CpuUse end = now();
        double machine = end.machine - start.machine;
        double jvm = end.jvm - start.jvm;
        return String.format(Locale.ROOT, "CPU: %s used %.1f core-s of the machine: %.1f in this JVM, %.1f outside it"
                + " (PostgreSQL and anything else running)", phase, machine, jvm, machine - jvm);
    }
}
