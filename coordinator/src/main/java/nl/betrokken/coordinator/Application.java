package nl.betrokken.coordinator;

import io.micronaut.runtime.Micronaut;

/** Starts the coordinator: {@code java -jar coordinator/target/coordinator.jar}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
