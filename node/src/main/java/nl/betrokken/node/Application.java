package nl.betrokken.node;

import io.micronaut.runtime.Micronaut;

/** Starts the node: {@code java -jar node/target/node.jar}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
