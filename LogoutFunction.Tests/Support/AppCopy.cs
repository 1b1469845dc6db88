namespace LogoutFunction.Tests.Support;

/// <summary>A temporary copy of a built app's folder with another host.json, for host settings a test needs changed.</summary>
public sealed class AppCopy : IDisposable
{
    private AppCopy(string directory) => Directory = directory;

    public string Directory { get; }

    public static AppCopy WithHostJson(string appDirectory, string hostJson)
    {
        var copy = Path.Combine(Path.GetTempPath(), "logout-app-" + Guid.NewGuid().ToString("N"));
        foreach (var file in System.IO.Directory.EnumerateFiles(appDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(appDirectory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.WriteAllText(Path.Combine(copy, "host.json"), hostJson);
        return new AppCopy(copy);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
