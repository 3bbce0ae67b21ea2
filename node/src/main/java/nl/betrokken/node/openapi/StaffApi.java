package nl.betrokken.node.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import nl.betrokken.problem.openapi.ProblemAnswers;

/**
 * In the published OpenAPI document: an operation for the staff of the region (professionals, coordinators,
 * gemeente, auditors, Veilig Thuis), signed in with an access token of the region's identity provider, or in the
 * dev environment with HTTP Basic; 401 without valid credentials, 403 for another role. Documents, changes nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@SecurityRequirement(name = NodeApi.STAFF_TOKEN)
@SecurityRequirement(name = NodeApi.DEV_BASIC)
@ProblemAnswers.Unauthorized
@ProblemAnswers.Forbidden
public @interface StaffApi {
}
