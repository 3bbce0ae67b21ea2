package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import nl.betrokken.node.NodeHarness;
import org.junit.jupiter.api.Test;

/**
 * A professional's access token is checked once and then taken as checked while it is sent again
 * ({@link IdentityProviderTokens#VERIFIED_FOR}); what the node knows of the account is read on every request all the
 * same, and nothing about a token that was refused is remembered.
 */
class IdentityProviderTokensTest {

    /** A node on H2 that trusts {@code idp}, with the dev profile's accounts. */
    private static NodeHarness start(TestIdentityProvider idp, ForgedTokenTest.StrangerCoordinator coordinator) {
        NodeHarness node = NodeHarness.start(idp.configure(coordinator.configure(
                NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null))), "test");
        TestIdentityProvider.seedAccounts(node);
        return node;
    }

    @Test
    void aTokenSentAgain_stillStopsWorkingTheMomentItsAccountIsDeactivated() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (ForgedTokenTest.StrangerCoordinator coordinator = new ForgedTokenTest.StrangerCoordinator();
             NodeHarness node = start(idp, coordinator)) {
            String token = idp.token("noord-prof-a", "PROFESSIONAL", "noord-org-a");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, TestIdentityProvider.call(node, "GET", "/api/v1/signals", null, token).status(),
                        "the same token, request " + (i + 1));
            }
            String coordinatorToken = idp.token("noord-coord-a", "COORDINATOR", "noord-org-a");
            assertEquals(200, TestIdentityProvider.call(node, "POST", "/api/v1/staff/noord-prof-a/deactivate", Map.of(),
                    coordinatorToken).status());

            assertEquals(401, TestIdentityProvider.call(node, "GET", "/api/v1/signals", null, token).status(),
                    "the account is read again on every request, though the token's signature is not checked again");
        }
    }

    @Test
    void aTokenWithOneCharacterChanged_isRefusedAfterTheGenuineOneWasAccepted() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (ForgedTokenTest.StrangerCoordinator coordinator = new ForgedTokenTest.StrangerCoordinator();
             NodeHarness node = start(idp, coordinator)) {
            String token = idp.token("noord-prof-b", "PROFESSIONAL", "noord-org-b");
            assertEquals(200, TestIdentityProvider.call(node, "GET", "/api/v1/signals", null, token).status());
            // A character inside the signature, changed: only the exact token that was checked is taken as checked.
            int at = token.length() - 10;
            String altered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
            assertEquals(401, TestIdentityProvider.call(node, "GET", "/api/v1/signals", null, altered).status());
            assertEquals(200, TestIdentityProvider.call(node, "GET", "/api/v1/signals", null, token).status());
        }
    }
}
