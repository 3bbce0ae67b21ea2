package nl.betrokken.node.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import nl.betrokken.problem.openapi.ProblemAnswers;

/**
 * In the published OpenAPI document: an operation of the federation API (node to node), called with the calling
 * node's own token for this node as audience; 401 without a valid one, 403 when that node may not ask this.
 * Documents, changes nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@SecurityRequirement(name = NodeApi.NODE_TOKEN)
@ProblemAnswers.Unauthorized
@ProblemAnswers.Forbidden
public @interface FederationApi {
}
