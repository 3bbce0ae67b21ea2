package nl.betrokken.coordinator.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import nl.betrokken.problem.openapi.ProblemAnswers;

/**
 * In the published OpenAPI document: an operation called by an enrolled node with its token
 * ({@code enrolment/NodeAuthentication}); 401 without a valid one. Documents, changes nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@SecurityRequirement(name = CoordinatorApi.NODE_TOKEN)
@ProblemAnswers.Unauthorized
public @interface NodeTokenApi {
}
