package org.callcentre.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Instead of {@code @Test}: the test runs once on H2 and once on PostgreSQL, each a {@link StoreDatabase} with the
 * real schema, emptied before every test. The test and its {@code @BeforeEach} methods take the
 * {@link StoreDatabase} as a parameter. Both databases are made once per test class and dropped after it.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EachDatabase.class)
public @interface OnEachDatabase {
}
