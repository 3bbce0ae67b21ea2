package nl.betrokken.coordinator;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * Starts the coordinator ({@code java -jar coordinator/target/coordinator.jar}), or runs one of the operator's
 * {@link Commands} when the first argument names one.
 */
@OpenAPIDefinition(info = @Info(title = "betrokken-coordinator", version = "1",
        description = "Finds every match between the regions' signals from pseudonyms alone. The internal API"
                + " (/internal/v1) is for enrolled nodes, each call carrying an ES256 token signed with the node's key."))
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
