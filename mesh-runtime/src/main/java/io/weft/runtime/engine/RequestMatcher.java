package io.weft.runtime.engine;

import io.weft.api.OutboundRequest;
import io.weft.runtime.config.MatchConfig;
import io.weft.runtime.config.StringMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A route's match conditions, compiled once per config (regexes included). */
final class RequestMatcher {

    private final StringTest path;
    private final String[] methods;
    private final String[] headerNames;
    private final StringTest[] headerTests;

    RequestMatcher(MatchConfig config) {
        this.path = config.path() == null ? null : StringTest.of(config.path());
        this.methods = config.methods().toArray(new String[0]);
        List<String> names = new ArrayList<>();
        List<StringTest> tests = new ArrayList<>();
        for (Map.Entry<String, StringMatch> h : config.headers().entrySet()) {
            names.add(h.getKey().toLowerCase(Locale.ROOT));
            tests.add(StringTest.of(h.getValue()));
        }
        this.headerNames = names.toArray(new String[0]);
        this.headerTests = tests.toArray(new StringTest[0]);
    }

    boolean matches(OutboundRequest request) {
        return mismatch(request, false) == null;
    }

    /** Why the request does not match, or null when it does. */
    String mismatch(OutboundRequest request) {
        return mismatch(request, true);
    }

    private String mismatch(OutboundRequest request, boolean explain) {
        if (methods.length > 0) {
            String method = request.method();
            boolean any = false;
            for (String m : methods) {
                if (m.equals(method)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return explain ? "method " + method + " is not one of " + String.join(", ", methods) : "";
            }
        }
        if (path != null && !path.test(request.path())) {
            return explain ? "path is '" + request.path() + "', " + path.describeMismatch() : "";
        }
        for (int i = 0; i < headerNames.length; i++) {
            String value = request.header(headerNames[i]);
            if (!headerTests[i].test(value)) {
                return explain ? "header " + headerNames[i] + (value == null ? " is absent" : " is '" + value + "'") + ", "
                        + headerTests[i].describeMismatch() : "";
            }
        }
        return null;
    }

    /** One compiled string condition. */
    private record StringTest(String exact, String prefix, Pattern regex, Boolean present) {

        static StringTest of(StringMatch m) {
            return new StringTest(m.exact(), m.prefix(), m.regex() == null ? null : Pattern.compile(m.regex()), m.present());
        }

        boolean test(String value) {
            if (present != null) {
                return present == (value != null);
            }
            if (value == null) {
                return false;
            }
            if (exact != null) {
                return exact.equals(value);
            }
            if (prefix != null) {
                return value.startsWith(prefix);
            }
            return regex.matcher(value).matches();
        }

        String describeMismatch() {
            if (present != null) {
                return present ? "wanted present" : "wanted absent";
            }
            if (exact != null) {
                return "wanted '" + exact + "'";
            }
            if (prefix != null) {
                return "wanted a prefix of '" + prefix + "'";
            }
            return "wanted a match of /" + regex.pattern() + "/";
        }
    }
}
