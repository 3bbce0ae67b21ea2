package nl.betrokken.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the services' metrics tests need of a Prometheus text exposition: {@code promtool check metrics} on it (the
 * tool of Debian's {@code prometheus} package, which {@code .ci/run} installs), and the values of its samples.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** Runs {@code promtool check metrics} on {@code text}; fails with its findings, or when promtool is missing. */
    public static void assertPromtoolPasses(String text) {
        String promtool = onPath("promtool");
        if (promtool == null) {
            throw new AssertionError("promtool is missing: it comes with Debian's prometheus package "
                    + "(apt-get install prometheus; .ci/run installs it when missing)");
        }
        try {
            Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool check metrics did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("promtool check metrics failed (" + p.exitValue() + "):\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("promtool could not be run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The values of the samples of metric {@code name} (exactly that name, any labels) whose labels contain every
     * one of {@code labels} (each written as in the text, e.g. {@code reason="no-token"}).
     */
    public static List<Double> values(String text, String name, String... labels) {
        List<Double> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + " ") || line.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                String[] parts = line.trim().split(" ");
                found.add(Double.parseDouble(parts[parts.length - 1]));
            }
        }
        return found;
    }

    /** The one sample of {@code name} with {@code labels}; fails when there is none or more than one. */
    public static double value(String text, String name, String... labels) {
        List<Double> found = values(text, name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample of " + name + " " + List.of(labels) + ", found " + found.size()
                    + " in:\n" + text);
        }
        return found.get(0);
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
