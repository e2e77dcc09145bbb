package org.callcentre.processes;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.VariableMap;

/**
 * One process variable: its name, and the Java type code reads and writes it as. Each process's constants class
 * declares its variables with these, so that delegates, listeners, adapters and tests never spell a variable's name
 * or cast its value. An enum is stored as its name (a String), so that Cockpit shows it and the model's conditions
 * compare it with a literal.
 *
 * @param <T> what the variable holds, as code sees it
 */
public final class ProcessVariable<T> {

    private final String name;
    private final Class<?> stored;
    private final Function<Object, T> read;
    private final Function<T, Object> write;

    private ProcessVariable(String name, Class<?> stored, Function<Object, T> read, Function<T, Object> write) {
        this.name = Objects.requireNonNull(name);
        this.stored = stored;
        this.read = read;
        this.write = write;
    }

    public static ProcessVariable<String> string(String name) {
        return plain(name, String.class);
    }

    public static ProcessVariable<Long> longValue(String name) {
        return plain(name, Long.class);
    }

    public static ProcessVariable<Integer> integer(String name) {
        return plain(name, Integer.class);
    }

    public static ProcessVariable<Boolean> bool(String name) {
        return plain(name, Boolean.class);
    }

    /** An enum, stored as its constant's name. */
    public static <E extends Enum<E>> ProcessVariable<E> enumeration(String name, Class<E> type) {
        return new ProcessVariable<>(name, String.class, value -> Enum.valueOf(type, (String) value), Enum::name);
    }

    private static <T> ProcessVariable<T> plain(String name, Class<T> type) {
        return new ProcessVariable<>(name, type, type::cast, value -> value);
    }

    /** The name the model's expressions, forms and the engine's API know the variable by. */
    public String name() {
        return name;
    }

    /** The value visible from {@code scope} (its own or an enclosing scope's); null if unset or null. */
    public T get(VariableScope scope) {
        return fromStored(scope.getVariable(name));
    }

    /** The value set on {@code scope} itself (an input parameter of the task, say); null if unset or null. */
    public T getLocal(VariableScope scope) {
        return fromStored(scope.getVariableLocal(name));
    }

    /** The value in a map of variables (the engine's answer to a query, a REST body read back); null if absent. */
    public T from(Map<String, ?> variables) {
        return fromStored(variables.get(name));
    }

    /** Sets the variable where the engine puts it from {@code scope}: the scope that has it already, or the instance. */
    public void set(VariableScope scope, T value) {
        scope.setVariable(name, toStored(value));
    }

    /** Sets the variable on {@code scope} itself (a task's own variable, say), whatever enclosing scopes hold. */
    public void setLocal(VariableScope scope, T value) {
        scope.setVariableLocal(name, toStored(value));
    }

    /** Converts a value as the engine holds it; a value of another type is a broken contract, not a null. */
    public T fromStored(Object value) {
        if (value == null) {
            return null;
        }
        if (!stored.isInstance(value)) {
            throw new IllegalStateException("process variable " + name + " holds a " + value.getClass().getSimpleName()
                    + ", not a " + stored.getSimpleName());
        }
        return read.apply(value);
    }

    /** The value as the engine stores it. */
    public Object toStored(T value) {
        return value == null ? null : write.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Values to start an instance or correlate a message with, each under its variable's name and stored type. */
    public static Values values() {
        return new Values();
    }

    public static final class Values {

        private final VariableMap map = org.camunda.bpm.engine.variable.Variables.createVariables();

        private Values() {
        }

        public <T> Values with(ProcessVariable<T> variable, T value) {
            map.putValue(variable.name(), variable.toStored(value));
            return this;
        }

        public VariableMap asMap() {
            return map;
        }
    }
}
