/**
 * The web stack of the parents' portal (docs/portal.md): Dutch text ({@link nl.betrokken.node.web.Tekst}, from
 * {@code messages_nl.properties}), the layout data every page gets ({@link nl.betrokken.node.web.Chrome}), rendering a
 * page record with its jte template ({@link nl.betrokken.node.web.Pages}), the components' params records
 * ({@link nl.betrokken.node.web.Onderdelen}), the headers of portal answers, the start page and the error pages.
 * Page controllers live in their feature package ({@code inzage/}, {@code objection/}, {@code account/}).
 */
package nl.betrokken.node.web;
