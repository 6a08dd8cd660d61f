namespace WalletGrains.FunctionalTests.Infrastructure;

/// <summary>Assertions on answers that print the whole answer when they fail.</summary>
public static class Expect
{
    public static Reply Status(HttpStatusCode expected, Reply reply)
    {
        Assert.True(reply.Status == expected, $"Expected {(int)expected}, got {reply}");
        return reply;
    }

    /// <summary>An RFC 9457 problem with the given status and stable code.</summary>
    public static Reply Problem(HttpStatusCode expected, string code, Reply reply)
    {
        Assert.True(reply.Status == expected, $"Expected {(int)expected} {code}, got {reply}");
        Assert.True(reply.IsProblem, $"Expected application/problem+json, got {reply.MediaType}: {reply}");
        Assert.Equal((int)expected, reply.Json!["status"]!.GetValue<int>());
        Assert.Equal(code, reply.Code);
        return reply;
    }

    /// <summary>A client error (4xx) as an RFC 9457 problem carrying some stable code.</summary>
    public static Reply ClientProblem(Reply reply)
    {
        Assert.True((int)reply.Status is >= 400 and < 500, $"Expected a 4xx answer, got {reply}");
        Assert.True(reply.IsProblem, $"Expected application/problem+json, got {reply.MediaType}: {reply}");
        Assert.False(string.IsNullOrEmpty(reply.Code), $"Expected a problem code, got {reply}");
        return reply;
    }

    /// <summary>
    /// A burst over a rate limit: some answers succeeded with <paramref name="success"/>, some were refused with 429
    /// rate-limited problems carrying Retry-After, and nothing else happened.
    /// </summary>
    public static void RateLimited(HttpStatusCode success, IReadOnlyList<Reply> burst)
    {
        Assert.Contains(burst, r => r.Status == success);
        var limited = burst.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r =>
        {
            Problem(HttpStatusCode.TooManyRequests, "request.rate_limited", r);
            Assert.False(string.IsNullOrEmpty(r.RetryAfter), $"429 without Retry-After: {r}");
        });
        Assert.All(burst, r => Assert.True(r.Status == success || r.Status == HttpStatusCode.TooManyRequests, r.ToString()));
    }
}
