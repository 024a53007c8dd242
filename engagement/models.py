# Place Standard exercises, responses and stories arrive with their own issue.
