package io.weft.control.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.weft.runtime.config.ConfigPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.weft.runtime.config.ConfigMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads request bodies with the strict config mapper; every failure becomes a 400 that names the field, in
 * JSON's words ({@code port: expected a number, not "x"}) rather than Java's.
 */
final class JsonBodies {

    private JsonBodies() {
    }

    static <T> T read(ByteBuf body, Class<T> type) throws ApiException {
        JsonNode tree = tree(body);
        rejectNestedNulls(tree, "");
        try {
            return ConfigMapper.json().treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            throw ApiException.badRequest(path(e) + ": unknown field" + known);
        } catch (MismatchedInputException e) {
            String got = e instanceof InvalidFormatException f ? ", not " + quote(f.getValue()) : "";
            throw ApiException.badRequest(path(e) + ": expected " + jsonType(e.getTargetType()) + got);
        } catch (JsonProcessingException e) {
            String at = e instanceof JsonMappingException m ? path(m) : "";
            throw ApiException.badRequest((at.isEmpty() ? "" : at + ": ") + e.getOriginalMessage());
        }
    }

    private static JsonNode tree(ByteBuf body) throws ApiException {
        if (!body.isReadable()) {
            throw ApiException.badRequest("request body is required: a JSON object");
        }
        JsonNode tree;
        try (InputStream in = new ByteBufInputStream(body.duplicate())) {
            tree = ConfigMapper.json().readTree(in);
        } catch (JsonParseException e) {
            throw ApiException.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable request body: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return tree;
    }

    /**
     * A top-level null reads as an absent field, which validation reports; deeper down (a label's value) the
     * records' immutable copies would fail on it with no field to name, so it is caught here.
     */
    private static void rejectNestedNulls(JsonNode node, String at) throws ApiException {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String path = at.isEmpty() ? field.getKey() : at + "." + field.getKey();
                check(field.getValue(), path, !at.isEmpty());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), at + "[" + i + "]", true);
            }
        }
    }

    private static void check(JsonNode value, String path, boolean nested) throws ApiException {
        if (value.isNull() && nested) {
            throw ApiException.badRequest(path + ": null is not allowed here");
        }
        rejectNestedNulls(value, path);
    }

    /** The field path as {@code labels.zone}. */
    private static String path(JsonMappingException e) {
        String path = ConfigPaths.fromReferences(e.getPath());
        return path.isEmpty() ? "body" : path;
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String quote(Object value) {
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }
}
