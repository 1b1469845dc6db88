using Azure.Core;
using Azure.Core.Pipeline;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// Tells the Azure SDK that an entity delete answered 404 is an answer, not a failure: for a
/// logout it usually means nothing was left to revoke. Without this the SDK logs every such
/// logout as a warning and marks its dependency call failed. <c>TableClient.DeleteEntity</c>
/// takes no <c>RequestContext</c>, so the classifier is set per call here instead; which 404 it
/// was (<c>ResourceNotFound</c> or not) <see cref="RefreshTokenStore"/> decides.
/// </summary>
internal sealed class EntityDeleteClassifierPolicy : HttpPipelineSynchronousPolicy
{
    private static readonly ResponseClassifier DeleteClassifier = new StatusCodeClassifier([204, 404]);

    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Delete)
        {
            message.ResponseClassifier = DeleteClassifier;
        }
    }
}
