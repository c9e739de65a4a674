package okhttp3;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** OkHttp's interceptor as the agent's adapter implements it; this client runs none. */
public interface Interceptor {

    Response intercept(Chain chain) throws IOException;

    interface Chain {
        Request request();

        Response proceed(Request request) throws IOException;

        /** For the agent's version check (OkHttp 3.12+). */
        Chain withConnectTimeout(int timeout, TimeUnit unit);
    }
}
