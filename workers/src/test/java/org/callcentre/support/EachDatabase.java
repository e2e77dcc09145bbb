package org.callcentre.support;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** Runs an {@link OnEachDatabase} test on each {@link StoreDatabase.Kind}. */
final class EachDatabase implements TestTemplateInvocationContextProvider {

    private static final Namespace NAMESPACE = Namespace.create(EachDatabase.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(OnEachDatabase.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(StoreDatabase.Kind.values()).map(kind -> new OnDatabase(kind));
    }

    /** The test class's database of this kind: made on first use, closed (dropped) when the class is done. */
    private static StoreDatabase database(ExtensionContext context, StoreDatabase.Kind kind) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        String name = classContext.getRequiredTestClass().getSimpleName();
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(kind, k -> new Closing(
                k == StoreDatabase.Kind.H2 ? StoreDatabase.h2(name) : StoreDatabase.postgres(name)), Closing.class)
                .database();
    }

    /** Closes the database when JUnit discards the class's store. */
    private record Closing(StoreDatabase database) implements ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            database.close();
        }
    }

    private record OnDatabase(StoreDatabase.Kind kind) implements TestTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return kind == StoreDatabase.Kind.H2 ? "H2" : "PostgreSQL";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new Database(kind));
        }
    }

    /** Empties the database before the test and hands it to the test and its {@code @BeforeEach} methods. */
    private record Database(StoreDatabase.Kind kind) implements BeforeEachCallback, ParameterResolver {

        @Override
        public void beforeEach(ExtensionContext context) {
            database(context, kind).empty();
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == StoreDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return database(context, kind);
        }
    }
}
