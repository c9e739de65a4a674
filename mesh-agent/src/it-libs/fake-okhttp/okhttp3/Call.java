package okhttp3;

import java.io.IOException;

/** An interface, as in OkHttp: the app calls {@code execute()} through it. */
public interface Call {

    Response execute() throws IOException;
}
