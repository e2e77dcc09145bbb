package org.callcentre.app.security;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.form.FormField;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The process variables a task's form lets its user see and set: what a user who is not an administrator may read
 * or write through that task, and nothing else.
 *
 * @param writable variables of the form's editable fields: completing the task may set them
 * @param readOnly variables of read-only or disabled fields: shown, but a value sent for one is ignored
 * @param shown every variable the form refers to (fields, options, templates and expressions in its texts): what
 *              the form may load
 */
public record TaskForm(Set<String> writable, Set<String> readOnly, Set<String> shown) {

    /** A task without a form, or with one whose fields cannot be known (an embedded HTML form): nothing. */
    public static final TaskForm NONE = new TaskForm(Set.of(), Set.of(), Set.of());

    /** {{ ... }} in a text component's template. */
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    /** A name in a template or FEEL expression: not after a dot (a property), not in quotes (removed first). */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.$])[A-Za-z_$][\\w$]*");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Set<String> KEYWORDS = Set.of("if", "else", "loop", "each", "and", "or", "not", "true",
            "false", "null", "this", "parent", "_this_", "_parent_", "in", "for", "return", "then", "some",
            "every", "satisfies", "instance", "of", "between", "function");

    /**
     * The variables of a Camunda Form (form-js schema). A field's variable is the first segment of its key, or of
     * its group's path: {@code address.street} submits the variable {@code address}. A field is read-only when
     * {@code readonly} is {@code true} or an expression (which cannot be evaluated here, so the safe reading is
     * taken), or when it is disabled.
     */
    public static TaskForm ofCamundaForm(JsonNode schema) {
        Set<String> writable = new LinkedHashSet<>();
        Set<String> readOnly = new LinkedHashSet<>();
        Set<String> shown = new LinkedHashSet<>();
        walk(schema.path("components"), "", writable, readOnly, shown);
        readOnly.removeAll(writable);
        shown.addAll(writable);
        shown.addAll(readOnly);
        return new TaskForm(Set.copyOf(writable), Set.copyOf(readOnly), Set.copyOf(shown));
    }

    /** The variables of a generated task form ({@code camunda:formField}): every field is editable. */
    public static TaskForm ofFormFields(List<FormField> fields) {
        Set<String> ids = new LinkedHashSet<>();
        for (FormField field : fields) {
            ids.add(field.getId());
        }
        return new TaskForm(Set.copyOf(ids), Set.of(), Set.copyOf(ids));
    }

    private static void walk(JsonNode components, String prefix, Set<String> writable, Set<String> readOnly,
            Set<String> shown) {
        for (JsonNode component : components) {
            String path = text(component, "path");
            String key = text(component, "key");
            String groupPath = path == null ? prefix : prefix.isEmpty() ? path : prefix + "." + path;
            if (key != null) {
                String variable = firstSegment(prefix.isEmpty() ? key : prefix);
                boolean fixed = isTrueOrExpression(component.get("readonly")) || component.path("disabled").asBoolean();
                (fixed ? readOnly : writable).add(variable);
            } else if (path != null) {
                // A group or dynamic list that stores its children under one variable.
                shown.add(firstSegment(groupPath));
            }
            String valuesKey = text(component, "valuesKey");
            if (valuesKey != null) {
                shown.add(firstSegment(valuesKey));
            }
            namesInTexts(component, shown);
            walk(component.path("components"), groupPath, writable, readOnly, shown);
        }
    }

    /** Names used in the component's templates ({{...}}) and expressions ("=..."), children excluded. */
    private static void namesInTexts(JsonNode component, Set<String> shown) {
        for (Iterator<String> names = component.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("components")) {
                namesIn(component.get(name), shown);
            }
        }
    }

    private static void namesIn(JsonNode value, Set<String> shown) {
        if (value.isTextual()) {
            String text = value.asText();
            if (text.startsWith("=")) {
                names(text.substring(1), shown);
            }
            Matcher template = TEMPLATE.matcher(text);
            while (template.find()) {
                names(template.group(1), shown);
            }
        } else if (value.isContainerNode()) {
            for (JsonNode element : value) {
                namesIn(element, shown);
            }
        }
    }

    private static void names(String expression, Set<String> shown) {
        Matcher name = NAME.matcher(QUOTED.matcher(expression).replaceAll(" "));
        while (name.find()) {
            if (!KEYWORDS.contains(name.group())) {
                shown.add(name.group());
            }
        }
    }

    private static boolean isTrueOrExpression(JsonNode readonly) {
        return readonly != null && (readonly.asBoolean(false) || readonly.asText("").startsWith("="));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String firstSegment(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }
}
