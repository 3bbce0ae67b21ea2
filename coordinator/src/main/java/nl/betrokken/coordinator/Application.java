package nl.betrokken.coordinator;

import io.micronaut.runtime.Micronaut;

/**
 * Starts the coordinator ({@code java -jar coordinator/target/coordinator.jar}), or runs one of the operator's
 * {@link Commands} when the first argument names one.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.exit(Commands.run(args, System.out, System.err));
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
