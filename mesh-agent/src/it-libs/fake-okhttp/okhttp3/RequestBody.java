package okhttp3;

/** Only for the agent's version check (OkHttp 3.14+): GETs have no body. */
public abstract class RequestBody {

    public boolean isOneShot() {
        return false;
    }
}
