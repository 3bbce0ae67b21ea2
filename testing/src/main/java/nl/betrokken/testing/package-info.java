/**
 * Test support shared by the services: {@link nl.betrokken.testing.TestPostgres} finds the real PostgreSQL server
 * that the tests run against and hands each test an isolated schema.
 */
package nl.betrokken.testing;
