package okhttp3;

/** A body already read whole. */
public final class ResponseBody {

    private final String text;

    ResponseBody(String text) {
        this.text = text;
    }

    public String string() {
        return text;
    }
}
