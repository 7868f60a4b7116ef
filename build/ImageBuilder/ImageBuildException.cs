// ImageBuildException.cs -- a bad input to the image build (missing file, bad manifest line): message for the user, exit 1.
namespace Vmk.ImageBuilder;

public sealed class ImageBuildException(string message) : Exception(message);
