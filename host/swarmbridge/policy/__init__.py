"""Ask-before-acting: classify every tool call, and route mutating ones through an approver."""
