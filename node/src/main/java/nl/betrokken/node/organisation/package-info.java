/**
 * The organisations of the region's convenant, kept by the gemeente (role GEMEENTE): admitted with their
 * instellingscoördinator's account, suspended (their accounts cannot sign in), reinstated, or removed (each signal
 * handed to a professional of another organisation or ended, decided per signal; their accounts deactivated). The
 * JSON API ({@code /api/v1/organisations}), the werkplek's pages ({@code /werkplek/organisaties}) and the operator's
 * {@code account-add} command. See docs/node.md "Organisations of the convenant" and docs/operators.md.
 */
package nl.betrokken.node.organisation;
