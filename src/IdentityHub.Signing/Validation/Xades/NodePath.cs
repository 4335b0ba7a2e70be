using System.Xml;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>A node's position as child indexes from the document, to find the same node in a deep copy.</summary>
internal static class NodePath
{
    public static IReadOnlyList<int> Of(XmlNode node)
    {
        var path = new List<int>();
        for (XmlNode? n = node; n?.ParentNode is { } parent; n = parent)
        {
            int index = 0;
            for (XmlNode? sibling = n.PreviousSibling; sibling is not null; sibling = sibling.PreviousSibling)
            {
                index++;
            }

            path.Add(index);
        }

        path.Reverse();
        return path;
    }

    public static XmlNode Follow(XmlDocument document, IReadOnlyList<int> path)
    {
        XmlNode node = document;
        foreach (int index in path)
        {
            node = node.ChildNodes[index]!;
        }

        return node;
    }
}
